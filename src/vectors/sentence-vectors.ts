import { readFile } from 'node:fs/promises';

/**
 * Unit vectors stored as int8 with one scale per row: a quarter of float32's size, and plenty of
 * precision to rank a handful of candidate sentences. Row i ≈ data[i*dim .. (i+1)*dim] * scales[i].
 */
export interface QuantizedMatrix {
  dim: number;
  rows: number;
  scales: Float32Array;
  data: Int8Array;
}

const MAGIC = 0x56534443; // 'CDSV'
const HEADER_BYTES = 16;

export function quantizeRows(vectors: Float32Array[], dim: number): QuantizedMatrix {
  const rows = vectors.length;
  const scales = new Float32Array(rows);
  const data = new Int8Array(rows * dim);
  vectors.forEach((v, r) => {
    let max = 0;
    for (let i = 0; i < dim; i++) max = Math.max(max, Math.abs(v[i] ?? 0));
    const scale = max > 0 ? max / 127 : 1;
    scales[r] = scale;
    for (let i = 0; i < dim; i++) data[r * dim + i] = Math.round((v[i] ?? 0) / scale);
  });
  return { dim, rows, scales, data };
}

/** Row `r` back as floats (for carrying unchanged articles into a new index). */
export function rowVector(matrix: QuantizedMatrix, r: number): Float32Array {
  const out = new Float32Array(matrix.dim);
  const scale = matrix.scales[r] ?? 0;
  const base = r * matrix.dim;
  for (let i = 0; i < matrix.dim; i++) out[i] = (matrix.data[base + i] ?? 0) * scale;
  return out;
}

/** Dot product of a float query with row `r`. */
export function dotRow(matrix: QuantizedMatrix, r: number, query: Float32Array): number {
  const base = r * matrix.dim;
  let sum = 0;
  for (let i = 0; i < matrix.dim; i++) sum += (matrix.data[base + i] as number) * (query[i] as number);
  return sum * (matrix.scales[r] as number);
}

export function serializeMatrix(matrix: QuantizedMatrix): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + matrix.rows * 4 + matrix.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, 1, true);
  view.setUint32(8, matrix.dim, true);
  view.setUint32(12, matrix.rows, true);
  out.set(new Uint8Array(matrix.scales.buffer, matrix.scales.byteOffset, matrix.rows * 4), HEADER_BYTES);
  out.set(
    new Uint8Array(matrix.data.buffer, matrix.data.byteOffset, matrix.data.length),
    HEADER_BYTES + matrix.rows * 4,
  );
  return out;
}

export async function readMatrix(file: string): Promise<QuantizedMatrix> {
  const bytes = await readFile(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC)
    throw new Error(`${file} is not a sentence-vector file`);
  const dim = view.getUint32(8, true);
  const rows = view.getUint32(12, true);
  const expected = HEADER_BYTES + rows * 4 + rows * dim;
  if (bytes.length !== expected)
    throw new Error(`${file} is truncated (${bytes.length} of ${expected} bytes)`);
  // Copy into aligned arrays (the Buffer's offset may not be a multiple of 4).
  const scales = new Float32Array(rows);
  new Uint8Array(scales.buffer).set(bytes.subarray(HEADER_BYTES, HEADER_BYTES + rows * 4));
  const data = new Int8Array(rows * dim);
  new Uint8Array(data.buffer).set(bytes.subarray(HEADER_BYTES + rows * 4));
  return { dim, rows, scales, data };
}

/**
 * Rows `from .. from+count-1` of a sentence-vector file, read in place (two positional reads), for the
 * few articles a question quotes. `dim` and `rows` come from the header the caller read at open.
 */
export async function readMatrixRows(
  read: (position: number, length: number) => Promise<Uint8Array>,
  header: { dim: number; rows: number },
  from: number,
  count: number,
): Promise<QuantizedMatrix> {
  const { dim, rows } = header;
  if (from < 0 || from + count > rows)
    throw new Error(`sentence rows ${from}+${count} are past the ${rows} stored`);
  const [scaleBytes, dataBytes] = await Promise.all([
    read(HEADER_BYTES + from * 4, count * 4),
    read(HEADER_BYTES + rows * 4 + from * dim, count * dim),
  ]);
  const scales = new Float32Array(count);
  new Uint8Array(scales.buffer).set(scaleBytes);
  const data = new Int8Array(count * dim);
  new Uint8Array(data.buffer).set(dataBytes);
  return { dim, rows: count, scales, data };
}

/** The dimension and row count in a sentence-vector file's header. */
export function readMatrixHeader(bytes: Uint8Array, name: string): { dim: number; rows: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC)
    throw new Error(`${name} is not a sentence-vector file`);
  return { dim: view.getUint32(8, true), rows: view.getUint32(12, true) };
}

export const MATRIX_HEADER_BYTES = HEADER_BYTES;

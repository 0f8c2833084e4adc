import type { VectorBackend } from './backend.js';
import { lanceBackend } from './lance-backend.js';
import type { BackendName } from './manifest.js';
import { vectraBackend } from './vectra-backend.js';

/** The backend that reads and writes an index of this kind (INDEX_BACKEND). */
export function backendFor(name: BackendName): VectorBackend {
  return name === 'lancedb' ? lanceBackend : vectraBackend;
}

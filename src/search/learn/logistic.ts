/**
 * The two small learners the answer pipeline is fitted with, both by Newton's method on an L2-penalised
 * log-likelihood (a few features and a few thousand rows: exact, deterministic, no learning rate):
 *
 * - `fitLogistic`: binary logistic regression, P(y = 1 | x) = σ(b + w·x). Used for "this article answers
 *   the question", which ranks the best articles, decides to answer or decline, and is the strength shown.
 * - `fitConditionalLogit`: a softmax over the rows of each group, P(row i | group) ∝ exp(w·x_i), for
 *   "this sentence of the right article is the one that answers" (no bias: only differences within an
 *   article matter).
 */

export interface LogisticModel {
  bias: number;
  weights: number[];
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias). */
  l2?: number;
  iterations?: number;
}

const DEFAULT_L2 = 1;
const DEFAULT_ITERATIONS = 50;
/** Newton stops when no step moves a weight by more than this. */
const TOLERANCE = 1e-8;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function predict(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(model.bias + dotArray(model.weights, x));
}

/** Binary logistic regression on rows `x` with labels `y` (0 or 1). */
export function fitLogistic(
  x: readonly number[][],
  y: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  const d = (x[0]?.length ?? 0) + 1;
  const l2 = options.l2 ?? DEFAULT_L2;
  // The bias is coordinate 0 of θ and of every row.
  const rows = x.map((r) => [1, ...r]);
  const theta = newton(d, options.iterations ?? DEFAULT_ITERATIONS, (theta, grad, hess) => {
    rows.forEach((row, i) => {
      const p = sigmoid(dotArray(theta, row));
      const r = (y[i] as number) - p;
      const w = p * (1 - p);
      for (let a = 0; a < d; a++) {
        grad[a] = (grad[a] as number) + r * (row[a] as number);
        const ha = hess[a] as number[];
        for (let b = 0; b < d; b++) ha[b] = (ha[b] as number) - w * (row[a] as number) * (row[b] as number);
      }
    });
    penalise(grad, hess, theta, l2, 1);
  });
  return { bias: theta[0] as number, weights: theta.slice(1) };
}

/**
 * Conditional logit: each group is a set of rows of which `chosen` holds the right ones (several rows
 * may be right: their probabilities add up). Groups without a right row are skipped.
 */
export function fitConditionalLogit(
  groups: ReadonlyArray<{ rows: readonly number[][]; chosen: ReadonlySet<number> }>,
  options: FitOptions = {},
): number[] {
  const usable = groups.filter((g) => g.chosen.size > 0 && g.chosen.size < g.rows.length);
  const d = usable[0]?.rows[0]?.length ?? 0;
  const l2 = options.l2 ?? DEFAULT_L2;
  return newton(d, options.iterations ?? DEFAULT_ITERATIONS, (theta, grad, hess) => {
    for (const group of usable) {
      const scores = group.rows.map((row) => dotArray(theta, row));
      const top = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - top));
      const all = e.reduce((a, b) => a + b, 0);
      const right = [...group.chosen].reduce((a, i) => a + (e[i] as number), 0);
      // log L = log Σ_right e − log Σ_all e; gradient = E_right[x] − E_all[x], Hessian = Cov_right − Cov_all.
      const mean = (weights: number[], total: number) => {
        const m = new Array<number>(d).fill(0);
        group.rows.forEach((row, i) => {
          const w = (weights[i] as number) / total;
          for (let a = 0; a < d; a++) m[a] = (m[a] as number) + w * (row[a] as number);
        });
        return m;
      };
      const rightWeights = e.map((v, i) => (group.chosen.has(i) ? v : 0));
      const mRight = mean(rightWeights, right);
      const mAll = mean(e, all);
      for (let a = 0; a < d; a++) grad[a] = (grad[a] as number) + (mRight[a] as number) - (mAll[a] as number);
      group.rows.forEach((row, i) => {
        const pAll = (e[i] as number) / all;
        const pRight = group.chosen.has(i) ? (e[i] as number) / right : 0;
        for (let a = 0; a < d; a++) {
          const ha = hess[a] as number[];
          for (let b = 0; b < d; b++) {
            const cr =
              pRight *
              ((row[a] as number) - (mRight[a] as number)) *
              ((row[b] as number) - (mRight[b] as number));
            const ca =
              pAll * ((row[a] as number) - (mAll[a] as number)) * ((row[b] as number) - (mAll[b] as number));
            ha[b] = (ha[b] as number) + cr - ca;
          }
        }
      });
    }
    penalise(grad, hess, theta, l2, 0);
  });
}

/**
 * Maximises a concave log-likelihood: `accumulate` adds its gradient and Hessian at `theta` into
 * the zeroed arrays it is given; each step solves H·δ = −g.
 */
function newton(
  d: number,
  iterations: number,
  accumulate: (theta: readonly number[], grad: number[], hess: number[][]) => void,
): number[] {
  let theta = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    accumulate(theta, grad, hess);
    const step = solve(
      hess.map((row) => row.map((v) => -v)),
      grad,
    );
    theta = theta.map((t, i) => t + (step[i] as number));
    if (step.every((s) => Math.abs(s) < TOLERANCE)) break;
  }
  return theta;
}

/** Adds the L2 penalty's gradient and Hessian; coordinates before `from` (the bias) are not penalised. */
function penalise(
  grad: number[],
  hess: number[][],
  theta: readonly number[],
  l2: number,
  from: number,
): void {
  for (let a = from; a < grad.length; a++) {
    grad[a] = (grad[a] as number) - l2 * (theta[a] as number);
    const ha = hess[a] as number[];
    ha[a] = (ha[a] as number) - l2;
  }
}

/** Solves A·x = b by Gaussian elimination with partial pivoting (A is small and, here, positive definite). */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number))
        pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = (m[col] as number[])[col] as number;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = ((m[r] as number[])[col] as number) / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++)
        (m[r] as number[])[c] = ((m[r] as number[])[c] as number) - f * ((m[col] as number[])[c] as number);
    }
  }
  return m.map((row, i) => {
    const p = row[i] as number;
    return Math.abs(p) < 1e-12 ? 0 : (row[n] as number) / p;
  });
}

export function dotArray(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * ((b[i] as number) ?? 0);
  return sum;
}

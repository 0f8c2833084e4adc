import { type SpawnOptions, spawn } from 'node:child_process';
import { PROJECT_ROOT } from './models.js';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point in its own Node process (through tsx) from the project root, feeds it
 * `stdin`, and collects its exit code and output. Killed after a minute, so a hung child fails its test
 * instead of the whole run.
 */
export function runNode(
  script: string,
  args: string[] = [],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; spawn?: SpawnOptions } = {},
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: PROJECT_ROOT,
      env: options.env ?? process.env,
      timeout: 60_000,
      killSignal: 'SIGKILL',
      ...options.spawn,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(options.stdin ?? '');
  });
}

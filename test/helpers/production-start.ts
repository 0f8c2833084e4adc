/**
 * Starts a production install's bot (`npm start` in the folder given) against the local Discord stand-in,
 * asks it one question, and stops it. Used by .ci/production-install.sh; exits non-zero on failure.
 * Usage: node --import tsx test/helpers/production-start.ts <appDir> <workDir>
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startDiscordStandIn } from '../../playground/discord-standin/index.js';

const [appDir, workDir] = process.argv.slice(2) as [string, string];
const standIn = await startDiscordStandIn({ heartbeatIntervalMs: 5000 });
const bot = spawn('npm', ['start', '--silent'], {
  cwd: appDir,
  env: {
    ...process.env,
    DISCORD_TOKEN: standIn.token,
    DISCORD_API_URL: standIn.restUrl,
    EMBEDDING_MODEL: 'test/models/use-static-128',
    INDEX_DIR: path.join(workDir, 'bot-index'),
    DATA_DIR: path.join(workDir, 'bot-data'),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
try {
  await Promise.race([
    standIn.waitForReady(120_000),
    exited.then((code) => Promise.reject(new Error(`the bot exited (${code}) before connecting`))),
  ]);
  const reply = await standIn
    .sendCommand({
      name: 'ask',
      options: [{ name: 'question', type: 3, value: 'How many heart patients were treated for free?' }],
    })
    .waitForFinalReply(30_000);
  const quote = (reply.embeds[0] as { description?: string } | undefined)?.description ?? '';
  if (!quote.includes('8,300 patients with congenital heart disease'))
    throw new Error(`unexpected reply: ${JSON.stringify(reply).slice(0, 500)}`);
  process.stdout.write('production start: the compiled bot connected and answered /ask\n');
} catch (error) {
  process.stderr.write(`production start failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  // npm start runs node as a child: signal the whole process group.
  if (bot.pid && bot.exitCode === null) process.kill(-bot.pid, 'SIGTERM');
  await exited;
  await standIn.close();
}

import '../load-env.js';
import { commands } from '../../commands/index.js';
import { loadBotConfig } from '../config.js';
import { deployCommands } from '../discord/deploy.js';
import { ConfigError, describeError } from '../errors.js';

/** `npm run deploy-commands`: registers the slash commands with Discord. */
try {
  const { scope, deployed } = await deployCommands(loadBotConfig(process.env), commands);
  process.stdout.write(
    `Deployed ${deployed.length} commands to ${scope}: ${deployed.map((c) => `/${c.name}`).join(', ')}\n`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`Configuration problem:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
  } else {
    process.stderr.write(`Could not deploy the commands: ${describeError(error)}\n`);
  }
  process.exitCode = 1;
}

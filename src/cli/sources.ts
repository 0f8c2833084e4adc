import '../load-env.js';
import { parseCliArgs } from './args.js';
import { runCli } from './context.js';
import { printArchiveList } from './list-command.js';

const USAGE = `Usage: npm run sources -- [--outlet NAME] [--json]
Lists the archive's articles (title, outlet, date, file, link), newest first.`;

/** `npm run sources`: what the archive holds, from the index. */
runCli(async () => {
  const { values } = parseCliArgs(
    {
      options: {
        outlet: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  await printArchiveList(process.env, { outlet: values.outlet ?? null, json: values.json });
});

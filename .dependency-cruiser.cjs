// The module map (docs/architecture.md), checked by `npm run depcheck` (part of `npm test`).
// Each rule names one forbidden arrow; a wrong import fails with the rule's name and the two files.

/** The modules that know nothing of Discord: everything the CLI can run without a bot. */
const CORE =
  '^src/(corpus|ingest|store|search|embedding|text|vectors|stories|digest|feeds|intake|watch|quotes|parsing|util)/' +
  '|^src/(config|errors|logger|load-env|version|living-archive|open-index|check-folders)[.]ts$';

/** Modules below the store: pure helpers every layer may use, which use nothing of the project above them. */
const FOUNDATION = '^src/(util|text|vectors)/|^src/(errors|version|logger)[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: a cycle makes load order matter and the modules one module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-discord',
      severity: 'error',
      comment:
        'Core modules never import discord.js, src/discord or commands/; the Discord layer sits on top.',
      from: { path: CORE },
      to: { path: '^src/discord/|^commands/|(^|/)node_modules/(discord[.]js|@discordjs)/' },
    },
    {
      name: 'foundation-stays-below',
      severity: 'error',
      comment:
        'util, text, vectors, errors, logger and version are the bottom layer: they import only each other (and packages).',
      from: { path: FOUNDATION },
      to: { path: '^(src|commands)/', pathNot: FOUNDATION },
    },
    {
      name: 'corpus-below-store',
      severity: 'error',
      comment: 'Readers of article files know nothing of the index, search, digests, feeds or intake.',
      from: { path: '^src/corpus/' },
      to: { path: '^src/(store|ingest|search|digest|feeds|intake|watch|quotes|embedding|stories)/' },
    },
    {
      name: 'store-below-search',
      severity: 'error',
      comment: 'The store keeps segments and the archive; it never imports search, ingest, digest or feeds.',
      from: { path: '^src/store/' },
      to: { path: '^src/(search|ingest|digest|feeds|intake|watch|quotes|embedding|stories)/' },
    },
    {
      name: 'embedding-is-a-runtime',
      severity: 'error',
      comment: 'The embedding runtime turns text into vectors; it imports no index, search or digest code.',
      from: { path: '^src/embedding/' },
      to: { path: '^src/(store|ingest|search|digest|feeds|intake|watch|quotes|stories|corpus)/' },
    },
    {
      name: 'stories-below-search-and-digest',
      severity: 'error',
      comment: 'Same-story detection and the lead are shared by answers and digests, so they import neither.',
      from: { path: '^src/stories/' },
      to: { path: '^src/(search|digest|ingest|feeds|intake|watch|quotes)/' },
    },
    {
      name: 'ingest-below-search',
      severity: 'error',
      comment: 'Ingest builds the index; reading it (search), digests and feeds sit above it.',
      from: { path: '^src/ingest/' },
      to: { path: '^src/(search|digest|feeds|intake|watch|quotes)/' },
    },
    {
      name: 'search-not-to-digest',
      severity: 'error',
      comment: 'Answers (src/search) never import digests, ingest, feeds or intake; digests may use search.',
      from: { path: '^src/search/' },
      to: { path: '^src/(digest|ingest|feeds|intake|watch)/' },
    },
    {
      name: 'digest-not-to-ingest-or-feeds',
      severity: 'error',
      comment:
        'Digests read the archive through search and stories; they do not ingest, poll feeds or add sources.',
      from: { path: '^src/digest/' },
      to: { path: '^src/(ingest|feeds|intake|watch|embedding)/' },
    },
    {
      name: 'intake-feeds-watch-not-to-answers',
      severity: 'error',
      comment:
        'Bringing articles in (intake, feeds, watch) writes files and calls the ingest through the IngestCorpus ' +
        'seam: it imports no search, digest, store or ingest code (their result types only).',
      from: { path: '^src/(intake|feeds|watch)/' },
      to: {
        path: '^src/(search|digest|store|ingest|embedding|stories|quotes)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'discord-not-to-commands',
      severity: 'error',
      comment:
        'src/discord is the toolkit commands/ is built with; it never imports a command (deploy is in src/cli).',
      from: { path: '^src/discord/' },
      to: { path: '^commands/' },
    },
    {
      name: 'commands-stay-apart',
      severity: 'error',
      comment:
        'A command never imports another command: what two share lives in src/discord (views, options) or a ' +
        'service. Only commands/index.ts lists them all.',
      from: { path: '^commands/', pathNot: '^commands/index[.]ts$' },
      to: { path: '^commands/' },
    },
    {
      name: 'nothing-imports-entry-points',
      severity: 'error',
      comment:
        'src/cli, src/app.ts and src/index.ts are entry points: only they (and tests) start from them.',
      from: { path: '^(src|commands)/', pathNot: '^src/cli/|^src/index[.]ts$' },
      to: { path: '^src/cli/|^src/(app|index)[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or an installed package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Code that ships (src, commands) never imports a devDependency: production installs omit them.',
      from: { path: '^(src|commands)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|corpus|test/fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};

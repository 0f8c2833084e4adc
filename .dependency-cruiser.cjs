// The module map (docs/architecture.md), checked by `npm run depcheck` (part of `npm test`).
// Each rule names one forbidden arrow; a wrong import fails with the rule's name and the two files.

/** Everything under src/ but the Discord layer and the entry points: a new folder is core by default. */
const CORE = { path: '^src/', pathNot: '^src/(discord|cli)/|^src/(app|index)[.]ts$' };

/** The bottom layer: pure helpers every module may use, which use nothing of the project above them. */
const FOUNDATION = '^src/(util|text|vectors)/|^src/(errors|version|logger)[.]ts$';

/** A path pattern for modules (`store`: the folder src/store/) and single files (`quotes/search.ts`). */
const modules = (...names) =>
  names.map((n) => (n.endsWith('.ts') ? `^src/${n.replace('.', '[.]')}$` : `^src/${n}/`)).join('|');

/** Quotation search (who said what): it reads the archive, so it sits with the answers, above the store. */
const QUOTE_SEARCH = modules('quotes/search.ts');

/** A forbidden arrow: imports from `from` to `to` fail with `name`. */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

/** A module that must stay below others: it never imports any of `above`. */
const below = (name, module, above, comment) =>
  forbid(name, comment, { path: modules(module) }, { path: modules(...above) });

module.exports = {
  forbidden: [
    forbid(
      'no-circular',
      'No import cycles: a cycle makes load order matter and the modules one module.',
      {},
      { circular: true },
    ),
    forbid(
      'core-not-to-discord',
      'Core modules never import discord.js, src/discord or commands/; the Discord layer sits on top.',
      CORE,
      { path: '^src/discord/|^commands/|(^|/)node_modules/(discord[.]js|@discordjs)/' },
    ),
    forbid(
      'foundation-stays-below',
      'util, text, vectors, errors, logger and version are the bottom layer: they import only each other.',
      { path: FOUNDATION },
      { path: '^(src|commands)/', pathNot: FOUNDATION },
    ),
    below(
      'corpus-below-store',
      'corpus',
      [
        'store',
        'ingest',
        'search',
        'digest',
        'feeds',
        'intake',
        'watch',
        'quotes',
        'embedding',
        'stories',
        'desk',
      ],
      'Readers of article files know nothing of the index, search, digests, feeds or intake.',
    ),
    below(
      'store-below-search',
      'store',
      [
        'search',
        'ingest',
        'digest',
        'feeds',
        'intake',
        'watch',
        'quotes/search.ts',
        'embedding',
        'stories',
        'desk',
      ],
      'The store keeps segments and the archive; it never imports search, ingest, digest or feeds.',
    ),
    below(
      'embedding-is-a-runtime',
      'embedding',
      ['store', 'ingest', 'search', 'digest', 'feeds', 'intake', 'watch', 'quotes', 'stories', 'corpus'],
      'The embedding runtime turns text into vectors; it imports no index, search or digest code.',
    ),
    below(
      'stories-below-search-and-digest',
      'stories',
      ['search', 'digest', 'ingest', 'feeds', 'intake', 'watch', 'quotes'],
      'Same-story detection and the lead are shared by answers and digests, so they import neither.',
    ),
    below(
      'ingest-below-search',
      'ingest',
      ['search', 'digest', 'feeds', 'intake', 'watch', 'quotes/search.ts'],
      'Ingest builds the index (quotations extracted included); reading it (search), digests and feeds sit above it.',
    ),
    forbid(
      'search-not-to-digest',
      'Answers (src/search, quotes/search.ts) never import digests, ingest, feeds, intake or the desk; ' +
        'digests may use search.',
      { path: `${modules('search')}|${QUOTE_SEARCH}` },
      { path: modules('digest', 'ingest', 'feeds', 'intake', 'watch', 'desk') },
    ),
    forbid(
      'quote-extraction-stays-pure',
      'Finding quotations in a text (src/quotes but search.ts) is text analysis the store and ingest use: ' +
        'it imports only itself and the foundation.',
      { path: '^src/quotes/', pathNot: QUOTE_SEARCH },
      { path: '^(src|commands)/', pathNot: `^src/quotes/(?!search[.]ts$)|${FOUNDATION}` },
    ),
    below(
      'desk-keeps-state-only',
      'desk',
      ['ingest', 'feeds', 'intake', 'watch', 'embedding', 'store', 'digest'],
      'The research desk (src/desk) keeps its own state (threads, scopes, trail); it reads scopes from search only.',
    ),
    below(
      'digest-not-to-ingest-or-feeds',
      'digest',
      ['ingest', 'feeds', 'intake', 'watch', 'embedding'],
      'Digests read the archive through search and stories; they do not ingest, poll feeds or add sources.',
    ),
    forbid(
      'intake-feeds-watch-not-to-answers',
      'Bringing articles in (intake, feeds, watch) writes files and calls the ingest through the ' +
        'IngestCorpus seam: it imports no search, digest, store or ingest code (their result types only).',
      { path: modules('intake', 'feeds', 'watch') },
      {
        path: modules('search', 'digest', 'store', 'ingest', 'embedding', 'stories', 'quotes'),
        dependencyTypesNot: ['type-only'],
      },
    ),
    forbid(
      'discord-not-to-commands',
      'src/discord is the toolkit commands/ is built with; it never imports a command (deploy is in src/cli).',
      { path: '^src/discord/' },
      { path: '^commands/' },
    ),
    forbid(
      'commands-stay-apart',
      'A command never imports another command: what two share lives in src/discord or a service. ' +
        'Only commands/index.ts lists them all.',
      { path: '^commands/', pathNot: '^commands/index[.]ts$' },
      { path: '^commands/' },
    ),
    forbid(
      'nothing-imports-entry-points',
      'src/cli, src/app.ts and src/index.ts are entry points: only they (and tests) start from them.',
      { path: '^(src|commands)/', pathNot: '^src/cli/|^src/index[.]ts$' },
      { path: '^src/cli/|^src/(app|index)[.]ts$' },
    ),
    forbid(
      'shipped-code-not-to-tests-or-playground',
      'src and commands ship; test/, playground/ (the Discord stand-in and its page), bench/ and scripts/ do not.',
      { path: '^(src|commands)/' },
      { path: '^(test|playground|bench|scripts)/' },
    ),
    forbid(
      'not-to-unresolvable',
      'An import that does not resolve to a file or an installed package.',
      {},
      { couldNotResolve: true },
    ),
    forbid(
      'not-to-dev-dep',
      'Code that ships (src, commands) never imports a devDependency: production installs omit them.',
      { path: '^(src|commands)/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
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

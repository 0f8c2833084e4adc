// Module resolution hook for run.mjs: `import('typescript…')` from inside dependency-cruiser gets the
// TypeScript 5 copy that this package carries.
let cruiserRootUrl = '';
let typescriptApiUrl = '';

export function initialize(data) {
  cruiserRootUrl = data.cruiserRootUrl;
  typescriptApiUrl = data.typescriptApiUrl;
}

export function resolve(specifier, context, nextResolve) {
  const fromCruiser = context.parentURL?.startsWith(cruiserRootUrl);
  if (fromCruiser && (specifier === 'typescript' || specifier.startsWith('typescript/'))) {
    const rest = specifier === 'typescript' ? 'lib/typescript.js' : specifier.slice('typescript/'.length);
    return nextResolve(new URL(rest, typescriptApiUrl).href, context);
  }
  return nextResolve(specifier, context);
}

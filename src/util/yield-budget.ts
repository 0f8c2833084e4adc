/**
 * A pause to await inside a long loop on the event loop's thread: it returns at once until `budgetMs` of
 * work has passed since the last pause, then lets everything waiting (a Discord interaction, a heartbeat)
 * run before the loop goes on. Keeps one large article from holding the bot for seconds.
 */
export function yieldEvery(budgetMs = 20): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

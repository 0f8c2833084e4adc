/** Query parameters that only track where a click came from: the same article without them. */
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|_ga)$/i;

/**
 * The form of a url that two links to the same article share: lower-case host without `www.`, no
 * fragment, no tracking parameters, no default port, no trailing slash, http and https alike.
 */
export function canonicalUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const params = [...url.searchParams.entries()]
    .filter(([key]) => !TRACKING.test(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : '';
  const pathname = url.pathname.replace(/\/+$/, '') || '/';
  return `${host}${port}${pathname}${query}`;
}

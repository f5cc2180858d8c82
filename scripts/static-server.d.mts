/** Serves `dir` on 127.0.0.1 at a free port; resolves to its base URL and a close function. */
export function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }>;

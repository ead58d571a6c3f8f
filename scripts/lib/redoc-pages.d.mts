// Types for scripts/lib/redoc-pages.mjs.
export declare const BUNDLE_FILE: string;
export declare function writeRedocBundle(
  outDir: string,
  fail: (message: string) => never,
  transform?: (js: string) => string,
): Promise<string>;
export declare function useSharedBundle(html: string, label: string, fail: (message: string) => never): string;
export declare function linkBareUrls(markdown: string): string;
export declare function specForRedoc<T>(doc: T): T;

// Types for scripts/package-json.mjs.
export function derivedPackageJson(pkg: Record<string, any>, root?: string): Record<string, any>;
export function render(pkg: Record<string, unknown>): string;

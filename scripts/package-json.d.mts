export function derivedPackageJson(pkg: Record<string, unknown>, root?: string): Record<string, unknown>;
export function render(pkg: Record<string, unknown>): string;

export function providerNamesFrom(root: string): string[];
export function providerTitle(root: string, name: string): string;

/** Types of bin/ensure-build.js for the TypeScript callers (the tests). */
export declare const root: string;
export declare function buildReason(entry: string): string | null;
export declare function ensureBuild(entry?: string): string | null;

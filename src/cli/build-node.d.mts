// Types of build-node.mjs (plain JavaScript so that `npm start` builds without a TypeScript loader).
export declare const ROOT: string;
/** Builds `entries` (paths from the repository root) into `outdir` (from the root), one `<name>.mjs` each. */
export declare function buildNode(entries: string[], outdir?: string): Promise<string[]>;

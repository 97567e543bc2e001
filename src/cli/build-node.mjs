// Builds the Node entry points into plain JavaScript in dist/ (esbuild: one file per entry, our modules
// bundled, packages left to node_modules), so long-running processes run without a TypeScript loader.
// `tsx` registers its loader as Node module hooks, which Node 20 runs in a second V8 isolate on a thread
// of its own for the life of the process: measured ~55 MB of RSS in every process (a sending process is
// 87 MB when ready instead of ~150 MB), for nothing once the modules are loaded.
//
//   node src/cli/build-node.mjs               dist/server.mjs (npm start runs this first)
//
// Modules that find their files from their own location (new URL("../../db/sources.json",
// import.meta.url)) keep doing so: each such module's import.meta.url is rewritten to its source file's
// URL, computed from the bundle's own location, so a moved checkout still works.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** esbuild plugin: `import.meta.url` in our sources means the source file, not the bundle. */
function sourceLocations(outdir) {
  return {
    name: "source-locations",
    setup(b) {
      b.onLoad({ filter: /\.(ts|tsx)$/ }, async (args) => {
        if (args.path.includes(`${join("node_modules", "")}`)) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.url")) return undefined;
        const fromBundle = relative(outdir, args.path).split("\\").join("/");
        const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: text.replaceAll("import.meta.url", url), loader: args.path.endsWith(".tsx") ? "tsx" : "ts" };
      });
    },
  };
}

/**
 * Builds `entries` (paths from the repository root) into `outdir` (from the root), one `<name>.mjs` each.
 * Returns the output files.
 */
export async function buildNode(entries, outdir = "dist") {
  const out = resolve(ROOT, outdir);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(entries.map((e) => [e.replace(/^.*\//, "").replace(/\.tsx?$/, ""), resolve(ROOT, e)])),
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
    plugins: [sourceLocations(out)],
    write: false,
  });
  // Each file replaced whole (written aside, then renamed): a web and a jobs process started together
  // both build, and neither may start from the other's half-written file.
  await mkdir(out, { recursive: true });
  for (const file of result.outputFiles) {
    const aside = `${file.path}.${process.pid}.tmp`;
    await writeFile(aside, file.contents);
    await rename(aside, file.path);
  }
  return entries.map((e) => join(out, `${e.replace(/^.*\//, "").replace(/\.tsx?$/, "")}.mjs`));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildNode(["src/server.ts"]);
}

import { defineConfig } from "drizzle-kit";

// Only used by `npm run db:generate` (drizzle-kit). The service applies db/migrations itself at start-up.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});

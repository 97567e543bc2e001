// `npm run db:migrate`: applies db/migrations to the configured database (DATABASE_URL, or the
// embedded PGlite in DATA_DIR). The service also does this at start-up.
import { createLogger } from "../log";
import { loadConfigOrExit, openDatabase } from "../node/environment";

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabase(config, log);
await database.close();
log.info("migrations applied");

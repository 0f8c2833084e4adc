import { config } from 'dotenv';

// Imported first by the entry points only (bot, CLI, deploy): reads .env into process.env without
// overriding what the environment already sets, and without dotenv's own "injected env" line.
config({ quiet: true });

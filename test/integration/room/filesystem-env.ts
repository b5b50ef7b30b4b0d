/**
 * Imported first by the filesystem binary-data test: n8n-core reads N8N_DEFAULT_BINARY_DATA_MODE when its
 * configuration is first created, so it must be set before n8n-core is loaded.
 */
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';

export const BINARY_DATA_MODE = process.env.N8N_DEFAULT_BINARY_DATA_MODE;

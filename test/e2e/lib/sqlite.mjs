// n8n's SQLite database (<user folder>/.n8n/database.sqlite), read and changed with Node 24's
// `node:sqlite` in a child process (the runtime's Node; the host may run an older Node). n8n opens the
// database in WAL mode, so reads may run while n8n runs; writes only while it is stopped.
import { join } from 'node:path';

import { NODE24_BIN } from './paths.mjs';
import { run } from './proc.mjs';

// Runs the statements in order inside one transaction; prints one JSON array of results
// (rows for `all`, `{changes}` otherwise).
const SCRIPT = `
const { DatabaseSync } = require('node:sqlite');
const { file, readOnly, statements } = JSON.parse(process.argv[1]);
const db = new DatabaseSync(file, { readOnly });
db.exec('PRAGMA busy_timeout = 10000');
const results = [];
if (!readOnly) db.exec('BEGIN IMMEDIATE');
try {
	for (const { sql, params = [], all } of statements) {
		const statement = db.prepare(sql);
		results.push(all ? statement.all(...params) : { changes: Number(statement.run(...params).changes) });
	}
	if (!readOnly) db.exec('COMMIT');
} catch (error) {
	if (!readOnly) db.exec('ROLLBACK');
	throw error;
}
db.close();
process.stdout.write(JSON.stringify(results));
`;

export function databaseFile(userFolder) {
	return join(userFolder, '.n8n', 'database.sqlite');
}

export class N8nDatabase {
	constructor(file, { logFile } = {}) {
		this.file = file;
		this.logFile = logFile;
	}

	/** Runs `[{sql, params, all}]`; returns their results in order. */
	async exec(statements, { readOnly = false } = {}) {
		const input = JSON.stringify({ file: this.file, readOnly, statements });
		const result = await run(NODE24_BIN, ['--no-warnings', '-e', SCRIPT, input], { logFile: this.logFile, timeoutMs: 60_000, allowFailure: true });
		if (result.code !== 0) throw new Error(`sqlite on ${this.file} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-5).join('\n')}`);
		return JSON.parse(result.stdout);
	}

	/** Rows of one query (read-only: safe while n8n runs). */
	async query(sql, params = []) {
		const [rows] = await this.exec([{ sql, params, all: true }], { readOnly: true });
		return rows;
	}

	/** The workflow's static data (`workflow_entity.staticData`, JSON text), parsed. */
	async staticData(workflowId) {
		const [row] = await this.query('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId]);
		if (!row) throw new Error(`workflow ${workflowId} is not in workflow_entity`);
		return row.staticData ? JSON.parse(row.staticData) : {};
	}

	/** Replaces the workflow's static data; only while n8n is stopped. */
	async setStaticData(workflowId, data) {
		const [result] = await this.exec([{ sql: 'UPDATE workflow_entity SET staticData = ? WHERE id = ?', params: [JSON.stringify(data), workflowId] }]);
		if (result.changes !== 1) throw new Error(`static data of workflow ${workflowId}: ${result.changes} rows changed`);
	}

	/** The workflow's executions: id, status, mode, finished, deduplicationKey, startedAt, stoppedAt. */
	async executions(workflowId) {
		return await this.query(
			'SELECT id, status, mode, finished, deduplicationKey, startedAt, stoppedAt FROM execution_entity WHERE workflowId = ? ORDER BY id',
			[workflowId],
		);
	}

	/** Execution data (n8n's `flatted` text) of the given executions, by execution id. */
	async executionData(ids) {
		if (!ids.length) return new Map();
		const rows = await this.query(`SELECT executionId, data FROM execution_data WHERE executionId IN (${ids.map(() => '?').join(',')})`, ids);
		return new Map(rows.map((row) => [String(row.executionId), row.data]));
	}
}

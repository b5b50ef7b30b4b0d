/**
 * files: Room › Upload File then Room › Download File of a 256 MB file through the node, with n8n's
 * `filesystem` binary data mode (run.mjs starts this process with N8N_DEFAULT_BINARY_DATA_MODE=filesystem),
 * against a raw streaming upload and download (node:http, the file piped from and to disk) of the same file
 * to the same fake. The fake runs in a child process and streams too (big uploads go to a temporary file),
 * so the process's RSS growth is n8n's and the node's; the raw rounds' growth is measured the same way.
 *
 * The file is generated at run time into bench/.tmp (not committed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IConnections, INode, INodeExecutionData } from 'n8n-workflow';

import { sandboxedEngine } from '../../../test/harness/engine';
import { PACKAGE_NAME } from '../../../test/harness/package';
import { CREDENTIAL_REF, rl, runWorkflow } from '../../../test/harness/run';
import { patFor, startRemoteFake, type RemoteFake } from '../remote';
import { log, median, round } from '../stats';

const MB = 1024 * 1024;

export interface FilesResult {
	uploadMBps: number;
	downloadMBps: number;
	rawUploadMBps: number;
	rawDownloadMBps: number;
	peakRssGrowthMB: number;
	uploadRatio: number;
	downloadRatio: number;
	fileMB: number;
	binaryDataMode: string;
	/** Node.js version and expression engine of the process (real n8n 2.41: Node.js 24, `vm`). */
	nodeVersion: string;
	expressionEngine: string;
	runs: number;
	perRun: Array<{ uploadMBps: number; downloadMBps: number; rawUploadMBps: number; rawDownloadMBps: number; uploadRssGrowthMB: number; downloadRssGrowthMB: number; rawRssGrowthMB: number }>;
	/** The same measure around the raw rounds (the fake's worker thread and Node.js's own buffers are in both). */
	rawPeakRssGrowthMB: number;
}

/** The bench's scratch folder: bench/.tmp (this file runs from bench/.build/bench/src/benches). */
function tmpDir(): string {
	const dir = join(__dirname, '..', '..', '..', '..', '.tmp');
	mkdirSync(dir, { recursive: true });
	return dir;
}

async function sha256OfStream(stream: NodeJS.ReadableStream): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
	return hash.digest('hex');
}

/** Writes `bytes` of pseudo-random data (1 MB blocks) unless the file is already there; answers its hash. */
async function generate(path: string, bytes: number): Promise<string> {
	if (!existsSync(path) || statSync(path).size !== bytes) {
		const out = createWriteStream(path);
		for (let written = 0; written < bytes; written += MB) {
			if (!out.write(randomBytes(Math.min(MB, bytes - written)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
		}
		await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
	}
	return await sha256OfStream(createReadStream(path));
}

/** Samples the process's RSS every 10 ms while `work` runs; answers the peak above the RSS at the start. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; growthMB: number; ms: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage.rss();
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 10);
	const start = performance.now();
	try {
		const value = await work();
		const ms = performance.now() - start;
		peak = Math.max(peak, process.memoryUsage.rss());
		return { value, growthMB: (peak - baseline) / MB, ms };
	} finally {
		clearInterval(timer);
	}
}

function node(name: string, parameters: INode['parameters']): INode {
	return { id: `n-${name}`, name, type: `${PACKAGE_NAME}.rocketChat`, typeVersion: 1, position: [200, 0], parameters, credentials: CREDENTIAL_REF };
}

async function runNode(fake: RemoteFake, parameters: INode['parameters'], items: INodeExecutionData[]) {
	const start: INode = { id: 'n-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const connections: IConnections = { Start: { main: [[{ node: 'Rocket.Chat', type: 'main', index: 0 }]] } };
	const run = await runWorkflow({
		nodes: [start, node('Rocket.Chat', parameters)],
		connections,
		startNode: 'Start',
		resultNode: 'Rocket.Chat',
		credentials: patFor(fake, fake.fixtures.bot),
		items,
	});
	if (run.error) throw run.error;
	return run.items;
}

/** A raw streaming multipart upload to rooms.media (what a hand-written client would send). */
async function rawUpload(fake: RemoteFake, path: string, size: number): Promise<string> {
	const boundary = `----rawBench${randomBytes(8).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="raw.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	const url = new URL(`${fake.url}/api/v1/rooms.media/GENERAL`);
	const { bot } = fake.fixtures;
	return await new Promise<string>((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: {
					'X-User-Id': bot.userId,
					'X-Auth-Token': bot.pat,
					'Content-Type': `multipart/form-data; boundary=${boundary}`,
					'Content-Length': String(head.length + size + tail.length),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { file?: { _id: string } };
					if (res.statusCode !== 200 || !body.file) reject(new Error(`raw upload: ${res.statusCode} ${JSON.stringify(body)}`));
					else resolve(body.file._id);
				});
			},
		);
		req.on('error', reject);
		req.write(head);
		const file = createReadStream(path);
		file.on('error', reject);
		file.on('end', () => req.end(tail));
		file.pipe(req, { end: false });
	});
}

/** A raw streaming download to a file on disk (as n8n's filesystem mode stores it). */
async function rawDownload(fake: RemoteFake, fileUrl: string, target: string): Promise<number> {
	const { bot } = fake.fixtures;
	const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
		http.get(`${fake.url}${fileUrl}`, { headers: { 'X-User-Id': bot.userId, 'X-Auth-Token': bot.pat } }, resolve).on('error', reject);
	});
	if (res.statusCode !== 200) throw new Error(`raw download: ${res.statusCode}`);
	await pipeline(res, createWriteStream(target));
	return statSync(target).size;
}

export async function benchFiles(options: { megabytes?: number; runs?: number } = {}): Promise<FilesResult> {
	const size = (options.megabytes ?? 256) * MB;
	const runs = options.runs ?? 5;
	const dir = tmpDir();
	const source = join(dir, `files-${size / MB}mb.bin`);
	const rawTarget = join(dir, 'files-raw-download.bin');
	log(`generating ${size / MB} MB into ${source}`);
	const hash = await generate(source, size);

	const service = Container.get(BinaryDataService);
	await service.init();
	const mode = String(process.env.N8N_DEFAULT_BINARY_DATA_MODE ?? 'filesystem');
	const input = await service.store(
		{ type: 'execution', workflowId: 'wf-bench', executionId: 'input' },
		createReadStream(source),
		{ data: '', mimeType: 'video/mp4', fileName: 'bench.mp4', fileExtension: 'mp4' } as IBinaryData,
	);
	if (!input.id) throw new Error(`files: the input binary data has no id (mode ${mode}); the bench needs the filesystem mode`);

	// In its own process: the process's RSS is then n8n's and the node's alone.
	const fake = await startRemoteFake({}, 'process');
	try {
		await fake.setSetting('FileUpload_MaxFileSize', 2 * size);
		const mbps = (ms: number) => size / MB / (ms / 1000);
		const perRun: FilesResult['perRun'] = [];

		const nodeRound = async () => {
			const up = await withPeakRss(async () =>
				await runNode(fake, { resource: 'room', operation: 'uploadFile', roomId: rl('GENERAL', 'id'), binaryPropertyName: 'data' }, [
					{ json: {}, binary: { data: input } },
				]),
			);
			const uploaded = up.value[0].json;
			const info = await fake.fileInfo(String(uploaded.fileId));
			if (info?.size !== size) throw new Error(`files: the fake stored ${info?.size} bytes instead of ${size}`);
			const down = await withPeakRss(async () =>
				await runNode(fake, { resource: 'room', operation: 'downloadFile', source: 'fileId', fileId: String(uploaded.fileId), binaryPropertyName: 'data' }, [{ json: {} }]),
			);
			const binary = down.value[0].binary!.data;
			if (!binary.id) throw new Error('files: the download is not in the filesystem store');
			const downloaded = await sha256OfStream(await service.getAsStream(binary.id));
			if (downloaded !== hash) throw new Error('files: the downloaded file differs from the uploaded one');
			await service.deleteManyByBinaryDataId([binary.id]);
			await fake.deleteFile(String(uploaded.fileId));
			return { up, down };
		};
		const rawRound = async () => {
			// The same start as the node's runs (withPeakRss collects garbage first): no debt from the round before.
			const up = await withPeakRss(async () => await rawUpload(fake, source, size));
			const fileId = up.value;
			const info = await fake.fileInfo(fileId);
			if (info?.size !== size) throw new Error(`raw: the fake stored ${info?.size} bytes instead of ${size}`);
			const down = await withPeakRss(async () => await rawDownload(fake, String(info.url), rawTarget));
			if (down.value !== size) throw new Error(`raw: downloaded ${down.value} bytes instead of ${size}`);
			rmSync(rawTarget, { force: true });
			await fake.deleteFile(fileId);
			return { upMs: up.ms, downMs: down.ms, rssGrowthMB: Math.max(up.growthMB, down.growthMB) };
		};

		// Warm-up (JIT, connections, page cache of the source file).
		await nodeRound();
		await rawRound();
		for (let run = 0; run < runs; run++) {
			let nodeFigures: Awaited<ReturnType<typeof nodeRound>>;
			let raw: Awaited<ReturnType<typeof rawRound>>;
			if (run % 2 === 0) {
				nodeFigures = await nodeRound();
				raw = await rawRound();
			} else {
				raw = await rawRound();
				nodeFigures = await nodeRound();
			}
			const figures = {
				uploadMBps: round(mbps(nodeFigures.up.ms), 1),
				downloadMBps: round(mbps(nodeFigures.down.ms), 1),
				rawUploadMBps: round(mbps(raw.upMs), 1),
				rawDownloadMBps: round(mbps(raw.downMs), 1),
				uploadRssGrowthMB: round(nodeFigures.up.growthMB, 1),
				downloadRssGrowthMB: round(nodeFigures.down.growthMB, 1),
				rawRssGrowthMB: round(raw.rssGrowthMB, 1),
			};
			perRun.push(figures);
			log(`run ${run + 1}/${runs}: ${JSON.stringify(figures)}`);
		}
		const uploadMBps = round(median(perRun.map((r) => r.uploadMBps)), 1);
		const downloadMBps = round(median(perRun.map((r) => r.downloadMBps)), 1);
		const rawUploadMBps = round(median(perRun.map((r) => r.rawUploadMBps)), 1);
		const rawDownloadMBps = round(median(perRun.map((r) => r.rawDownloadMBps)), 1);
		return {
			uploadMBps,
			downloadMBps,
			rawUploadMBps,
			rawDownloadMBps,
			// The largest growth of any node run, upload or download (not a median: the bound is what matters).
			peakRssGrowthMB: round(Math.max(...perRun.flatMap((r) => [r.uploadRssGrowthMB, r.downloadRssGrowthMB])), 1),
			rawPeakRssGrowthMB: round(Math.max(...perRun.map((r) => r.rawRssGrowthMB)), 1),
			uploadRatio: round(uploadMBps / rawUploadMBps, 2),
			downloadRatio: round(downloadMBps / rawDownloadMBps, 2),
			fileMB: size / MB,
			binaryDataMode: mode,
			nodeVersion: process.version,
			expressionEngine: sandboxedEngine(),
			runs,
			perRun,
		};
	} finally {
		await fake.close();
		await service.deleteManyByBinaryDataId([input.id]);
	}
}

/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: node:net holds the ports npm run dev prefers, to see it move */
/**
 * `npm run dev` when its ports are taken: with 8901 and 5678 held by another process, the
 * simulator starts on the next three free ports side by side and says so, its credential names
 * those ports, and n8n's port moves to the next free one after 5678.
 */
import { createServer, type Server } from 'node:net';

import {
	DEV_N8N_PORT,
	DEV_SIMULATOR_PORTS,
	n8nPortMoved,
	startDevSimulator,
	type DevSimulator,
} from '../e2e/n8n/dev-ports';
import { freePort } from '../e2e/n8n/processes';

/** Listens on 127.0.0.1:`port`; undefined when something else already does (taken either way). */
async function hold(port: number): Promise<Server | undefined> {
	const server = createServer();
	return await new Promise((resolve) => {
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

describe('npm run dev: ports taken by another process', () => {
	const held: Server[] = [];
	let dev: DevSimulator | undefined;

	beforeAll(async () => {
		for (const port of [DEV_SIMULATOR_PORTS.api, DEV_N8N_PORT]) {
			const server = await hold(port);
			if (server) held.push(server);
		}
	});

	afterAll(async () => {
		await dev?.sim.stop();
		await Promise.all(
			held.map(async (server) => await new Promise<void>((done) => server.close(() => done()))),
		);
	});

	it('starts the simulator on the next three free ports and says which', async () => {
		dev = await startDevSimulator();
		const { api, login, files } = dev.ports;
		expect(api).toBeGreaterThan(DEV_SIMULATOR_PORTS.files);
		expect((api - DEV_SIMULATOR_PORTS.api) % 3).toBe(0);
		expect([login, files]).toEqual([api + 1, api + 2]);
		expect(dev.moved).toContain('ports 8901–8903 are taken');
		expect(dev.moved).toContain(`listens on ${api}–${files} instead`);
		// The credential n8n gets points at the ports chosen, and the simulator answers there.
		expect(dev.sim.credentials()).toMatchObject({
			apiBaseUrl: `http://127.0.0.1:${api}`,
			tokenUrl: `http://127.0.0.1:${login}/oauth2/default/v1/token`,
		});
		const token = await fetch(`http://127.0.0.1:${login}/oauth2/default/v1/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${dev.sim.clientId}:${dev.sim.clientSecret}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=client_credentials&scope=service:integration',
		});
		expect(token.status).toBe(200);
	});

	it('keeps the ports asked for when they are free', async () => {
		const first = await freePort(40_000);
		const free = await startDevSimulator(first);
		try {
			expect(free.moved).toBeUndefined();
			expect(free.ports.api).toBe(first);
		} finally {
			await free.sim.stop();
		}
	});

	it('gives n8n the next free port after 5678, and says so', async () => {
		const port = await freePort(DEV_N8N_PORT);
		expect(port).toBeGreaterThan(DEV_N8N_PORT);
		expect(n8nPortMoved(DEV_N8N_PORT, port)).toBe(
			`port 5678 is taken: n8n listens on ${port} instead`,
		);
		expect(n8nPortMoved(DEV_N8N_PORT, DEV_N8N_PORT)).toBeUndefined();
	});
});

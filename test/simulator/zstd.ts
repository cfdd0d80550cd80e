/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: the simulator is a stand-alone HTTP server, it never runs inside n8n */
/**
 * zstd for compressed exports. Node ≥ 22.15 has zstd in node:zlib and the simulator uses it.
 * Older Node (the project's Node 20) gets a valid zstd frame made of raw (stored) blocks:
 * magic 0xFD2FB528, a frame header with the content size and a 128 KiB window, raw blocks of at
 * most 128 KiB, the last one flagged. Any zstd decoder reads it (RFC 8878 §3.1.1).
 */
import type { Transform } from 'node:stream';
import * as zlib from 'node:zlib';

export const ZSTD_MAGIC = 0xfd2fb528;
export const MAX_RAW_BLOCK = 128 * 1024;

interface NodeZstd {
	zstdCompressSync?: (input: Buffer) => Buffer;
	createZstdCompress?: () => Transform;
}
const native = zlib as unknown as NodeZstd;

/** A streaming zstd compressor from node:zlib, when the running Node has one. */
export function nativeZstdStream(): Transform | undefined {
	return typeof native.createZstdCompress === 'function' ? native.createZstdCompress() : undefined;
}

export function frameHeader(contentSize: number): Buffer {
	const header = Buffer.alloc(14);
	header.writeUInt32LE(ZSTD_MAGIC, 0);
	// Frame_Header_Descriptor: Frame_Content_Size_flag 3 (8 bytes), no single segment, no checksum, no dictionary.
	header[4] = 0xc0;
	// Window_Descriptor: exponent 7, mantissa 0 → window 2^17 = 128 KiB (raw blocks never look back).
	header[5] = 0x38;
	header.writeBigUInt64LE(BigInt(contentSize), 6);
	return header;
}

function blockHeader(size: number, last: boolean): Buffer {
	// Block_Header: bit 0 Last_Block, bits 1-2 Block_Type (0 = Raw_Block), bits 3-23 Block_Size; little-endian.
	const value = size * 8 + (last ? 1 : 0);
	return Buffer.from([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff]);
}

/** A zstd frame of raw blocks around `chunks`, which must total exactly `contentSize` bytes. */
export function* rawFrame(chunks: Iterable<Buffer>, contentSize: number): Generator<Buffer> {
	yield frameHeader(contentSize);
	let emitted = 0;
	let carry: Buffer = Buffer.alloc(0);
	for (const chunk of chunks) {
		carry = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		while (carry.length >= MAX_RAW_BLOCK) {
			const block = carry.subarray(0, MAX_RAW_BLOCK);
			carry = carry.subarray(MAX_RAW_BLOCK);
			emitted += block.length;
			if (emitted > contentSize) throw new Error('zstd frame: more content than announced');
			yield blockHeader(block.length, emitted === contentSize);
			yield block;
		}
	}
	if (emitted + carry.length !== contentSize) throw new Error('zstd frame: content size mismatch');
	if (carry.length > 0 || contentSize === 0) {
		yield blockHeader(carry.length, true);
		if (carry.length > 0) yield carry;
	}
}

/** One-shot zstd compression: node:zlib when available, else a raw-block frame. */
export function zstdCompress(input: Buffer): Buffer {
	if (typeof native.zstdCompressSync === 'function') return native.zstdCompressSync(input);
	return Buffer.concat([...rawFrame([input], input.length)]);
}

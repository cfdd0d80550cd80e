import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { handOffToSpark, type SparkHandoff, type SparkPart } from '../../api/spark';
import { prepareItems, runTasks, type Task } from '../../shared/engine';
import { concurrencyOption, optionsCollection, requestTimeoutOption } from '../../shared/fields';
import { SPARK_USER_UPN } from '../../shared/identifiers';
import { readConcurrency, readOptions } from '../../shared/options';
import { keyValueOptions, readKeyValues } from '../../shared/parameters';
import { quote } from '../../shared/text';
import { toolGuardField } from '../../shared/toolGuard';
import { invalidField } from '../../shared/validation';

export const option: INodePropertyOptions = {
	name: 'Handoff',
	value: 'handoff',
	action: 'Hand off a user conversation to Spark by UPN',
	description:
		"Send a user's message (and files) to Spark, which takes the conversation over with the user in Microsoft Teams",
};

const properties: INodeProperties[] = [
	toolGuardField('spark.handoff'),
	{
		displayName: 'User Principal Name',
		name: 'userPrincipalName',
		type: 'string',
		required: true,
		default: '',
		placeholder: "{{ $json['user.upn'] }}",
		description:
			'The user Spark answers in Microsoft Teams, by user principal name (user.upn in NQL), in clear text',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'My VPN disconnects every few minutes since this morning',
		description:
			"The user's message, as your chatbot received it: Spark picks the conversation up from it",
		typeOptions: { rows: 4 },
	},
	{
		displayName: 'Metadata',
		name: 'metadata',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add metadata',
		default: {},
		description:
			'Names and text values passed through with the handoff, for example a ticket number',
		options: keyValueOptions({ name: 'ticket', value: 'INC0012345' }),
	},
	optionsCollection([
		requestTimeoutOption,
		concurrencyOption('handoffs are sent'),
		{
			displayName: 'Attachments (Input Binary Fields)',
			name: 'attachments',
			type: 'string',
			default: '',
			placeholder: 'data, screenshot',
			description:
				'Binary fields of the input item to send with the message as files (comma-separated), each with its MIME type',
		},
		{
			displayName: 'Timezone',
			name: 'timezone',
			type: 'string',
			default: '',
			placeholder: 'Europe/Zurich',
			description:
				"The user's time zone for Spark's answers, as an IANA name (Europe/Zurich, America/New_York). Empty: none is sent.",
		},
	]),
];

const displayOptions = { show: { resource: ['spark'], operation: ['handoff'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** One item's handoff, checked; its files are read when it is sent. */
interface Prepared {
	handoff: Omit<SparkHandoff, 'parts'>;
	text: string;
	files: Array<{ field: string; mimeType: string }>;
}

function readUpn(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('userPrincipalName', itemIndex, '') as unknown;
	const upn = typeof raw === 'string' ? raw.trim() : raw;
	if (typeof upn === 'string' && SPARK_USER_UPN.test(upn)) return SPARK_USER_UPN.normalise(upn);
	throw invalidField.call(
		this,
		itemIndex,
		'User Principal Name',
		upn === '' || upn === undefined || upn === null
			? 'it is empty'
			: `${quote(upn)} is not a ${SPARK_USER_UPN.label}`,
		SPARK_USER_UPN.fix,
	);
}

function readMessage(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('message', itemIndex, '') as unknown;
	const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw);
	if (text.trim()) return text;
	throw invalidField.call(
		this,
		itemIndex,
		'Message',
		'it is empty',
		"Give the user's message: Spark needs words to pick the conversation up from.",
	);
}

/** Whether the runtime knows the IANA time zone (its Intl data is the one n8n's dates use). */
function isTimeZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

function readTimezone(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const raw = readOptions.call(this, itemIndex).timezone;
	const zone = typeof raw === 'string' ? raw.trim() : '';
	if (!zone) return undefined;
	if (isTimeZone(zone)) return zone;
	throw invalidField.call(
		this,
		itemIndex,
		'Timezone',
		`${quote(zone)} is not a time zone`,
		'Give an IANA time zone name, for example Europe/Zurich or America/New_York, or leave it empty.',
	);
}

function readFiles(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): Prepared['files'] {
	const raw = readOptions.call(this, itemIndex).attachments;
	const fields = (typeof raw === 'string' ? raw : '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	return fields.map((field) => {
		const binary = items[itemIndex]?.binary?.[field];
		if (!binary)
			throw invalidField.call(
				this,
				itemIndex,
				'Attachments (Input Binary Fields)',
				`the input item has no binary field ${quote(field)}`,
				`Name binary fields the input item has${
					items[itemIndex]?.binary
						? ` (it has ${Object.keys(items[itemIndex].binary ?? {})
								.map((name) => quote(name))
								.join(', ')})`
						: ' (it has none)'
				}, comma-separated.`,
			);
		if (!binary.mimeType?.trim())
			throw invalidField.call(
				this,
				itemIndex,
				'Attachments (Input Binary Fields)',
				`the file in ${quote(field)} has no MIME type`,
				'Spark needs the type of each file: set it where the file is made (for example Convert to File or Read/Write Files from Disk).',
			);
		return { field, mimeType: binary.mimeType.trim() };
	});
}

/** Step 1: one item's handoff, checked. */
function readItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): Prepared {
	const userPrincipalName = readUpn.call(this, itemIndex);
	const text = readMessage.call(this, itemIndex);
	const metadata = readKeyValues.call(this, 'metadata', itemIndex, 'Metadata');
	const timezone = readTimezone.call(this, itemIndex);
	const files = readFiles.call(this, items, itemIndex);
	const handoff: Prepared['handoff'] = { userPrincipalName };
	if (timezone) handoff.timezone = timezone;
	if (Object.keys(metadata).length) handoff.metadata = { ...metadata };
	return { handoff, text, files };
}

/** Hands each input item's message to Spark: one request per item. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { prepared, invalid } = prepareItems(this, items.length, (itemIndex) =>
		readItem.call(this, items, itemIndex),
	);
	const tasks = [...prepared].map(
		([itemIndex, { handoff, text, files }]): Task<
			Prepared['handoff'] & { attachments: number }
		> => ({
			itemIndexes: [itemIndex],
			targets: [handoff.userPrincipalName],
			send: async () => {
				const parts: SparkPart[] = [{ type: 'TEXT', text }];
				for (const { field, mimeType } of files) {
					const content = await this.helpers.getBinaryDataBuffer(itemIndex, field);
					// The contract says "encoded" content in a JSON string: base64 (INFERRED, §7.1).
					parts.push({ type: 'FILE', mimeType, fileContent: content.toString('base64') });
				}
				await handOffToSpark(this, { ...handoff, parts }, itemIndex);
				return { ...handoff, attachments: files.length };
			},
		}),
	);
	return await runTasks(this, tasks, {
		concurrency: readConcurrency.call(this),
		triggersAction: true,
		targetNoun: 'user',
		invalid,
		describeAccepted: (sent) => `the handoff for ${sent.userPrincipalName}`,
		toItems: ({ userPrincipalName, timezone, attachments }) => [
			{
				json: {
					handedOff: true,
					userPrincipalName,
					timezone: timezone ?? null,
					attachments,
				},
			},
		],
	});
}

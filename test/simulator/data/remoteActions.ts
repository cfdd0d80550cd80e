/** Seeded remote actions, in the spec shape plus the live extra fields (docs/nexthink-api.md §5). */
import { uuidFrom } from './random';

export interface RemoteActionInput {
	id: string;
	name: string;
	description: string;
	usedByWindows: boolean;
	usedByMacOs: boolean;
	options: string[];
	allowCustomValue: boolean;
}

export interface RemoteActionOutput {
	id: string;
	name: string;
	type: 'string' | 'int' | 'bool' | 'float' | 'datetime' | 'stringlist';
	description: string;
	usedByWindows: boolean;
	usedByMacOs: boolean;
}

export interface RemoteAction {
	id: string;
	uuid: string;
	name: string;
	description: string;
	origin: string;
	builtInContentVersion: string | null;
	purpose: Array<'DATA_COLLECTION' | 'REMEDIATION'>;
	targeting: {
		apiEnabled: boolean;
		manualEnabled: boolean;
		workflowEnabled: boolean;
		manualAllowMultipleDevices: boolean;
		sparkEnabled: boolean;
	};
	targetingEntity: {
		vdiSessionTargeting?: string;
		deviceEnabled: boolean;
		vdiSessionEnabled: boolean;
		allowUserOverrideVDISessionTargeting: boolean;
	};
	scriptInfo: {
		executionServiceDelegate: string;
		runAs: 'LOCAL_SYSTEM' | 'INTERACTIVE_USER' | 'DELEGATE_TO_SERVICE';
		timeoutSeconds: number;
		hasScriptWindows: boolean;
		hasScriptMacOs: boolean;
		inputs: RemoteActionInput[];
		outputs: RemoteActionOutput[];
	};
}

type Os = 'win' | 'mac' | 'both';
const input = (
	id: string,
	name: string,
	os: Os,
	options: string[] = [],
	allowCustomValue = options.length === 0,
): RemoteActionInput => ({
	id,
	name,
	description: `${name} to use.`,
	usedByWindows: os !== 'mac',
	usedByMacOs: os !== 'win',
	options,
	allowCustomValue,
});
const output = (
	id: string,
	name: string,
	type: RemoteActionOutput['type'],
	os: Os,
): RemoteActionOutput => ({
	id,
	name,
	type,
	description: `${name} reported by the script.`,
	usedByWindows: os !== 'mac',
	usedByMacOs: os !== 'win',
});

interface Spec {
	id: string;
	name: string;
	description: string;
	origin?: string;
	purpose: RemoteAction['purpose'];
	os: Os | 'none';
	api: boolean;
	runAs?: RemoteAction['scriptInfo']['runAs'];
	inputs?: RemoteActionInput[];
	outputs?: RemoteActionOutput[];
}

const SPECS: Spec[] = [
	{
		id: '#clear_browser_cache',
		name: 'Clear browser cache',
		description: 'Clears the cache of the selected browser for the current user.',
		purpose: ['REMEDIATION'],
		os: 'both',
		api: true,
		runAs: 'INTERACTIVE_USER',
		inputs: [input('browser', 'Browser', 'both', ['chrome', 'firefox', 'edge'], false)],
		outputs: [
			output('status', 'Status', 'string', 'both'),
			output('freed_mb', 'Freed space (MB)', 'int', 'both'),
		],
	},
	{
		id: '#restart_service',
		name: 'Restart service',
		description: 'Restarts a Windows service.',
		purpose: ['REMEDIATION'],
		os: 'win',
		api: true,
		inputs: [input('ServiceName', 'Service name', 'win')],
		outputs: [output('ServiceStatus', 'Service status', 'string', 'win')],
	},
	{
		id: '#get_disk_space',
		name: 'Get disk space',
		description: 'Reports free and total space of the system disk.',
		purpose: ['DATA_COLLECTION'],
		os: 'both',
		api: true,
		outputs: [
			output('FreeSpaceGB', 'Free space (GB)', 'int', 'both'),
			output('TotalSpaceGB', 'Total space (GB)', 'int', 'both'),
		],
	},
	{
		id: '#set_service_start_type',
		name: 'Set service start type',
		description: 'Changes the start type of a Windows service when its status matches.',
		purpose: ['REMEDIATION'],
		os: 'win',
		api: true,
		inputs: [
			input('StartType', 'Current start type', 'win', ['Automatic', 'Manual', 'Disabled'], false),
			input('StatusChange', 'Status change', 'win', ['On', 'Off'], false),
			input('SetStartTypeTo', 'New start type', 'win', ['Automatic', 'Manual', 'Disabled'], false),
		],
		outputs: [output('Result', 'Result', 'string', 'win')],
	},
	{
		id: '#collect_logs',
		name: 'Collect logs',
		description: 'Collects system logs on macOS at the given level.',
		origin: 'CUSTOM',
		purpose: ['DATA_COLLECTION'],
		os: 'mac',
		api: true,
		inputs: [input('LogLevel', 'Log level', 'mac', ['info', 'debug'], true)],
		outputs: [output('ArchivePath', 'Archive path', 'string', 'mac')],
	},
	{
		id: '#flush_dns_cache',
		name: 'Flush DNS cache',
		description: 'Flushes the DNS resolver cache.',
		purpose: ['REMEDIATION'],
		os: 'both',
		api: true,
		outputs: [output('status', 'Status', 'string', 'both')],
	},
	{
		id: '#restart_device_prompt',
		name: 'Restart device (with prompt)',
		description: 'Asks the user to restart. Manual use only: not enabled for the API.',
		purpose: ['REMEDIATION'],
		os: 'win',
		api: false,
		runAs: 'INTERACTIVE_USER',
		outputs: [output('UserChoice', 'User choice', 'string', 'win')],
	},
	{
		id: '#legacy_inventory',
		name: 'Legacy inventory',
		description: 'Retired inventory script: no script left, not enabled for the API.',
		origin: 'CUSTOM',
		purpose: ['DATA_COLLECTION'],
		os: 'none',
		api: false,
	},
];

function build(spec: Spec): RemoteAction {
	const custom = (spec.origin ?? 'NEXTHINK') === 'CUSTOM';
	return {
		id: spec.id,
		uuid: uuidFrom(`remote-action:${spec.id}`),
		name: spec.name,
		description: spec.description,
		origin: spec.origin ?? 'NEXTHINK',
		builtInContentVersion: custom ? null : '1.4.2',
		purpose: spec.purpose,
		targeting: {
			apiEnabled: spec.api,
			manualEnabled: true,
			workflowEnabled: spec.os !== 'none',
			manualAllowMultipleDevices: spec.purpose.includes('DATA_COLLECTION'),
			sparkEnabled: spec.api && spec.purpose.includes('REMEDIATION'),
		},
		targetingEntity: {
			deviceEnabled: true,
			vdiSessionEnabled: false,
			allowUserOverrideVDISessionTargeting: false,
		},
		scriptInfo: {
			executionServiceDelegate: 'COLLECTOR',
			runAs: spec.runAs ?? 'LOCAL_SYSTEM',
			timeoutSeconds: 300,
			hasScriptWindows: spec.os === 'win' || spec.os === 'both',
			hasScriptMacOs: spec.os === 'mac' || spec.os === 'both',
			inputs: spec.inputs ?? [],
			outputs: spec.outputs ?? [],
		},
	};
}

export function seedRemoteActions(): RemoteAction[] {
	return SPECS.map(build);
}

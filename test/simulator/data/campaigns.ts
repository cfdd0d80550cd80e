/** Seeded campaigns (docs/nexthink-api.md §3). The API has no campaign list: tests read `sim.data.campaigns`. */
import { uuidFrom } from './random';

export interface Campaign {
	nqlId: string;
	uuid: string;
	name: string;
	/** Only `API` campaigns can be triggered by the API. */
	triggerMethod: 'API' | 'MANUAL' | 'CONTINUOUS';
	status: 'PUBLISHED' | 'DRAFT' | 'RETIRED';
	/** The IDs the trigger's `parameters` must match exactly. */
	parameterIds: string[];
}

const campaign = (
	nqlId: string,
	name: string,
	parameterIds: string[] = [],
	triggerMethod: Campaign['triggerMethod'] = 'API',
	status: Campaign['status'] = 'PUBLISHED',
): Campaign => ({
	nqlId,
	uuid: uuidFrom(`campaign:${nqlId}`),
	name,
	triggerMethod,
	status,
	parameterIds,
});

export function seedCampaigns(): Campaign[] {
	return [
		campaign('#general_survey', 'General satisfaction survey'),
		campaign('#it_satisfaction_survey', 'IT ticket satisfaction', ['ticket_number', 'agent_name']),
		campaign('#outage_notification', 'Outage notification', ['service_name', 'eta']),
		campaign('#quarterly_pulse', 'Quarterly pulse (manual targeting only)', [], 'MANUAL'),
		campaign('#old_feedback', 'Old feedback campaign (retired)', [], 'API', 'RETIRED'),
	];
}

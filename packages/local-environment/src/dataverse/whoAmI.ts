import type { RecordAnswer, RecordRequest } from './recordRequest.js';
import { sdapSeed } from './sdapSeed.js';

/** `GET WhoAmI`: the caller's system user, with the seeded business unit and organization. */
export function whoAmI(request: RecordRequest): RecordAnswer {
  return {
    status: 200,
    body: {
      '@odata.context': `${request.baseUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: sdapSeed.organization.businessUnitId,
      UserId: request.caller.systemUserId,
      OrganizationId: sdapSeed.organization.organizationId,
    },
  };
}

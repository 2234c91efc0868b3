import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.config.base';

export default defineConfig(
  libraryConfig({
    index: 'src/index.ts',
    server: 'src/server/index.ts',
    // Browser entries: `client` must not reach server code, MSAL or Node built-ins (scripts/size.ts checks it).
    client: 'src/client/index.ts',
    msal: 'src/msal/index.ts',
    // Application Insights sink: imports no value from @microsoft/applicationinsights-web (optional peer).
    appinsights: 'src/appinsights/index.ts',
    // Hooks for virtual controls: `react` stays external (a peer), so pcf-scripts maps it to the platform's React.
    react: 'src/react/index.ts',
  }),
);

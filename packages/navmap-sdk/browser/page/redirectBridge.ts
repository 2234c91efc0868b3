// msal-browser 5's redirect page for popups and silent iframes: hands the response to the opener and closes.
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

void broadcastResponseToMainFrame();

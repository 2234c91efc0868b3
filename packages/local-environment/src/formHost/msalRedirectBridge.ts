// msal-browser 5's redirect page for popups and silent iframes on the form host: hands the response to the control.
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

void broadcastResponseToMainFrame();

// The page at the control's MSAL redirect URI. msal-browser 5 hears the identity provider's answer to a popup or a
// hidden iframe only through this bridge (PopupClient and SilentIframeClient wait in waitForBridgeResponse): it reads
// the response from the URL and posts it on a BroadcastChannel to the form that asked, then closes the popup. It must
// be the same msal-browser version as the control's, which is why the control's build bundles it.
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

broadcastResponseToMainFrame().catch(() => {
  // Opened without a sign-in response (someone browsed to it): say what the page is instead of a blank window.
  const explain = () => {
    document.body.textContent = 'This page completes sign-in for the UniversalQuickCreate control. It has nothing to show on its own.';
  };
  if (document.body) explain();
  else document.addEventListener('DOMContentLoaded', explain);
});

import {
  DESKTOP_CUSTOM_SCHEME_REDIRECT,
  DESKTOP_RENDERER_ORIGIN,
} from '../tenant/tenant-config.js';
import { isLoopbackHttpOrigin, isLoopbackHttpUrl } from './loopback.js';

/** Redirect and post-logout URIs the desktop client may use: any loopback http URL, or the custom scheme. */
export function desktopRedirectAllowed(uri: string): boolean {
  return uri === DESKTOP_CUSTOM_SCHEME_REDIRECT || isLoopbackHttpUrl(uri);
}

/** Origins the desktop renderer runs at: the app's protocol, or loopback http in the e2e host. */
export function desktopOriginAllowed(origin: string): boolean {
  return origin === DESKTOP_RENDERER_ORIGIN || isLoopbackHttpOrigin(origin);
}

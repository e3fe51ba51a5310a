import * as oidc from 'openid-client';
import type { OidcProfile } from '../chat/accounts.ts';
import type { OidcConfig } from '../config.ts';

/** What a sign-in keeps between its start and its callback (in the browser's cookie, see oidc-routes.ts). */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
}

/**
 * The OpenID Connect relying party, with openid-client: discovery (once, on
 * first use, so a server starts while its provider is away), the
 * authorization URL with PKCE (S256), state and nonce, and the code grant,
 * whose ID token openid-client checks (signature, issuer, audience, expiry,
 * nonce) before anything here reads it.
 */
export class OidcClient {
  readonly #settings: OidcConfig;
  #discovered: Promise<oidc.Configuration> | undefined;

  constructor(settings: OidcConfig) {
    this.#settings = settings;
  }

  async start(redirectUri: string): Promise<{ url: string; pending: OidcPending }> {
    const config = await this.#configuration();
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.#settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** `callbackUrl`: the redirect URI with the query the provider sent back. Throws if anything does not check. */
  async finish(callbackUrl: URL, pending: OidcPending): Promise<OidcProfile> {
    const config = await this.#configuration();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    let claims: Record<string, unknown> = idToken;
    // Many providers put email and name in the userinfo answer only.
    if ((idToken.email === undefined || idToken.name === undefined) && config.serverMetadata().userinfo_endpoint) {
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    }
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    return {
      issuer: idToken.iss,
      subject: idToken.sub,
      name: nameOf(claims, email),
      ...(email !== undefined && { email }),
      emailVerified: claims.email_verified === true,
    };
  }

  #configuration(): Promise<oidc.Configuration> {
    if (!this.#discovered) {
      const { issuer, clientId, clientSecret } = this.#settings;
      const server = new URL(issuer);
      this.#discovered = oidc.discovery(
        server,
        clientId,
        undefined,
        // RFC 6749 makes every server take HTTP Basic; a public client (no secret) sends none.
        clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
        // Plain HTTP only for a provider on this machine (development, tests).
        isLoopback(server) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      // A failed discovery (the provider was down) is tried again by the next sign-in.
      this.#discovered.catch(() => (this.#discovered = undefined));
    }
    return this.#discovered;
  }
}

function nameOf(claims: Record<string, unknown>, email: string | undefined): string {
  for (const key of ['name', 'preferred_username', 'nickname', 'given_name']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return email?.split('@')[0] ?? '';
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

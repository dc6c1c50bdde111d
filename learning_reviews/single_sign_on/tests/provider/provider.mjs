// A real OpenID Connect provider (the npm package oidc-provider) for the single sign-on tests,
// listening on loopback only. Everything it needs comes from one environment variable,
// OIDC_TEST_PROVIDER, as JSON:
//   {"port": 9000,
//    "clients": [{"client_id": "…", "client_secret": "…", "redirect_uris": ["http://…/callback/"]}],
//    "accounts": {"sub": {"email": "…", "email_verified": true, "name": "…"}},
//    "id_token_ttl": 120}
// Its own sign-in page (/interaction/<uid>) asks only for the account's id (a key of
// "accounts"), without a password; consent is granted automatically. Test use only.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_PROVIDER);
const issuer = `http://127.0.0.1:${config.port}`;
const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'test-signing-key',
  alg: 'RS256',
  use: 'sig',
};

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The e-mail is read from the ID token, as Microsoft Entra ID sends it.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: { IdToken: config.id_token_ttl ?? 120, AccessToken: 120, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(ctx, sub) {
    const account = config.accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid) {
  if (req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const accountId = new URLSearchParams(body).get('login') ?? '';
    if (!config.accounts[accountId]) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('No such test account');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  const details = await provider.interactionDetails(req, res);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><title>Test identity provider</title><link rel="icon" href="data:,"></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(details.uid)}">
<label for="login">Account</label> <input id="login" name="login">
<button type="submit">Continue</button>
</form></body></html>`);
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const match = new URL(req.url, issuer).pathname.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return callback(req, res);
  interaction(req, res, match[1]).catch((error) => {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  });
});
server.listen(config.port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

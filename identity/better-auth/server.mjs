// A real better-auth identity provider for the test suite (issue 28): e-mail + password sign-up,
// the in-memory adapter and the `jwt` plugin, served over node's http on 127.0.0.1.
//
//   PORT                port to listen on, 0 (default) = any free port
//   BETTER_AUTH_SECRET  required: encrypts the private JWKs and signs the session cookies
//   ISSUER, AUDIENCE    the tokens' `iss` and `aud` (a string); default: the server's own URL
//   EXPIRATION          the tokens' lifetime, a jose/better-auth time span: "15m" (default), "20s"
//   TRUSTED_ORIGINS     comma-separated origins a browser page may call this server from, with
//                       cookies (better-auth's trustedOrigins, plus the CORS headers below)
//
// Prints one line, `listening on http://127.0.0.1:<port>`, on stdout once it serves; better-auth's
// own log goes to stderr, so stdout carries nothing else.
//
// Endpoints (all under /api/auth):
//   POST /sign-up/email  {email, password, name}  -> {token, user: {id, ...}} + session cookie
//                        `better-auth.session_token` (HttpOnly, SameSite=Lax, 7 days); password
//                        at least 8 characters
//   POST /sign-in/email  {email, password}
//   GET  /token          with the session cookie -> {"token": <JWT>}; 401 without a session
//   GET  /jwks           -> {"keys": [{kty: "OKP", crv: "Ed25519", alg: "EdDSA", x, kid}]}
//   GET  /get-session    also answers the JWT in the `set-auth-jwt` header
//
// Quirks, as of the pinned better-auth:
// - The adapter is in memory: every start has new users and a new signing key (new kid). The key
//   is made lazily, on the first /token or /jwks request, not at start.
// - The JWT payload is the whole user row (id, name, email, emailVerified, createdAt, updatedAt,
//   image when set) plus sub (= user id), iat, exp = iat + EXPIRATION, iss, aud (a string, not a
//   list); the header is {alg: "EdDSA", kid}, no typ. The `token` that sign-up and sign-in answer
//   is the session's token (the cookie's value without its signature), not a JWT; it is no bearer
//   either (that needs better-auth's bearer plugin): /token wants the cookie.
// - better-auth 1.7 needs Node 20.19+ (its @noble dependencies), see package.json's engines.
// - better-auth sets no CORS headers itself: this server answers preflights and adds
//   Access-Control-Allow-Origin/-Credentials for the TRUSTED_ORIGINS alone. Its origin check
//   rejects a POST that carries a cookie (or a browser's Sec-Fetch headers) from an origin not in
//   trustedOrigins, with 403 (a request with neither, like a test's plain HTTP client, passes).
// - Its origin check is kept on whatever NODE_ENV says (better-auth skips it under NODE_ENV=test
//   or TEST=1); rate limiting is off (better-auth turns it on under NODE_ENV=production), and so
//   is telemetry. A secret under 32 characters is only warned about, on stderr.
import http from "node:http";

import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { jwt, toExpJWT } from "better-auth/plugins";

const env = process.env;

function fail(message) {
	process.stderr.write(`better-auth server: ${message}\n`);
	process.exit(2);
}

const secret = env.BETTER_AUTH_SECRET;
if (!secret) fail("BETTER_AUTH_SECRET is required");
const port = Number(env.PORT ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT is not a port: ${env.PORT}`);
const expiration = env.EXPIRATION || "15m";
try {
	toExpJWT(expiration, 0);
} catch (error) {
	fail(`EXPIRATION: ${error.message}`);
}
const trustedOrigins = (env.TRUSTED_ORIGINS ?? "")
	.split(",")
	.map((origin) => origin.trim().replace(/\/+$/, ""))
	.filter(Boolean);

const CORS_METHODS = "GET, POST, OPTIONS";

let handler = null;

function corsHeaders(req) {
	const origin = req.headers.origin;
	if (!origin || !trustedOrigins.includes(origin)) return null;
	return {
		"Access-Control-Allow-Origin": origin,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Expose-Headers": "set-auth-jwt",
		Vary: "Origin",
	};
}

const server = http.createServer((req, res) => {
	const cors = corsHeaders(req);
	if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
		// A preflight: answered here, better-auth has no OPTIONS routes.
		res.writeHead(204, {
			...(cors ?? { Vary: "Origin" }),
			...(cors && {
				"Access-Control-Allow-Methods": CORS_METHODS,
				"Access-Control-Allow-Headers":
					req.headers["access-control-request-headers"] ?? "content-type",
				"Access-Control-Max-Age": "600",
			}),
		});
		res.end();
		return;
	}
	if (cors) for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
	if (handler === null) {
		res.writeHead(503).end();
		return;
	}
	handler(req, res);
});

server.on("error", (error) => fail(error.message));

server.listen(port, "127.0.0.1", () => {
	const baseURL = `http://127.0.0.1:${server.address().port}`;
	const auth = betterAuth({
		baseURL,
		secret,
		database: memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] }),
		emailAndPassword: { enabled: true },
		trustedOrigins,
		// better-auth skips its origin check when NODE_ENV=test or TEST is set: kept on here.
		advanced: { disableOriginCheck: false, disableCSRFCheck: false },
		rateLimit: { enabled: false },
		telemetry: { enabled: false },
		logger: {
			disableColors: true,
			log: (level, message, ...args) => console.error(`[better-auth] ${level}: ${message}`, ...args),
		},
		plugins: [
			jwt({
				jwt: {
					issuer: env.ISSUER || baseURL,
					audience: env.AUDIENCE || baseURL,
					expirationTime: expiration,
				},
			}),
		],
	});
	handler = toNodeHandler(auth);
	process.stdout.write(`listening on ${baseURL}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
	process.on(signal, () => {
		server.close();
		server.closeAllConnections();
		process.exit(0);
	});
}

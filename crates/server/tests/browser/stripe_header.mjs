// Prints the Stripe-Signature header Stripe's own library makes for a payload, so the test can
// check that our verifier accepts it. Arguments: the endpoint's secret and the Unix time; the
// payload comes on stdin.
import Stripe from "stripe";

const [secret, timestamp] = process.argv.slice(2);
let payload = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) payload += chunk;
const stripe = new Stripe("sk_test_unused");
process.stdout.write(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Number(timestamp) }));

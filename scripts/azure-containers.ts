// `npm run --silent azure:containers > provision.sh`: the az commands that make every container
// the platform uses, for accounts it reaches with a managed identity (see README).
import { provisioningScript } from "../server/store/provisioning-script";

process.stdout.write(provisioningScript());

/** After each test file: release the expression engine so no worker keeps running. */
import { disposeExpressions } from '../harness/engine';

afterAll(async () => {
	await disposeExpressions();
});

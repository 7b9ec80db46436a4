import { documentRule } from '../ruleSupport/context';

export default documentRule({
  meta: { id: 'key-policy-action', awsChecks: ['UNSUPPORTED_ACTION_IN_POLICY'], severity: 'error', category: 'kms', summary: 'An action of another service in a key policy.', security: false, appliesTo: ['key-policy'] },
  check(context) {
    if (context.model.kind !== 'key-policy') return;
    for (const statement of context.model.statements) {
      const actions = statement.actions;
      // NotAction lists what a statement leaves out: another service's action there excludes nothing that matters, but harms nothing.
      if (!actions || actions.negated) continue;
      for (const item of actions.items) {
        const value = item.value;
        const colon = value.indexOf(':');
        if (colon <= 0 || item.node.parts || value.includes('${')) continue;
        const service = value.slice(0, colon);
        // kms (in any case: action names are case-insensitive), and service wildcards ("k*:") that may be kms, are not judged.
        if (service.toLowerCase() === 'kms' || /[*?]/.test(service)) continue;
        context.report(item, `"${value}" is not a KMS action: a key policy governs only its own key, so only kms: actions apply here, and AWS does not support others in a key policy. Grant ${service}: actions in an IAM policy or in that service's resource policy.`);
      }
    }
  },
});

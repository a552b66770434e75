"""A two-stack app wired exactly like the real one, made only of Terraform's built-in resources.

`cdktf deploy` can apply it offline, so a test proves that the app stack really finds the encryption stack's state
where the backend wrote it (a relative local path resolved from cdktf.out/stacks/<stack>/ is the trap).
Run as `python -m tests.payment_constructs.state_probe_app` (cdktf.json's app command in the test's scratch project).
"""

from __future__ import annotations

from pathlib import Path

PUBLISHED = "arn:aws:kms:eu-west-1:111122223333:key/probe"
SEEN_OUTPUT = "seen_key_arn"


def synthesize() -> None:
    import cdk_engine

    cdk_engine.use_chosen_or_exit()  # the probe runs on the engine PAYMENT_CDK_ENGINE names, as main.py does
    from cdktf import App, TerraformOutput, TerraformResource, TerraformStack

    from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK, LOGS_KEY_ARN_OUTPUT
    from payment_constructs.state_backend import read_state_of, use_backend
    from payment_settings.settings_gate import loaded_settings_or_exit

    def builtin_data(stack: TerraformStack, construct_id: str, value: str) -> TerraformResource:
        data = TerraformResource(stack, construct_id, terraform_resource_type="terraform_data")
        data.add_override("input", value)
        return data

    loaded = loaded_settings_or_exit()
    settings = loaded.settings
    app = App()
    producer = TerraformStack(app, ENCRYPTION_STACK)
    use_backend(producer, settings)
    published = builtin_data(producer, "key", PUBLISHED).get_string_attribute("output")
    TerraformOutput(producer, LOGS_KEY_ARN_OUTPUT, value=published)

    consumer = TerraformStack(app, APP_STACK)
    use_backend(consumer, settings)
    seen = read_state_of(consumer, "encryption", settings, ENCRYPTION_STACK).get_string(LOGS_KEY_ARN_OUTPUT)
    TerraformOutput(consumer, SEEN_OUTPUT, value=builtin_data(consumer, "reader", seen).get_string_attribute("output"))
    consumer.add_dependency(producer)
    app.synth()
    loaded.record(Path(app.outdir))  # as main.py does: `make deploy` reads it


if __name__ == "__main__":
    synthesize()

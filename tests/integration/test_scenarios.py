"""One test per scenario of tests/fixtures/scenarios/*.json, run by
scenarios.py: test_scenarios.test_NAME for NAME.json."""
import scenarios


def _test(name):
    def test(tmp):
        scenarios.run(name, tmp)
    test.__doc__ = scenarios.load(name).get("about")
    return test


for _name in scenarios.names():
    globals()["test_" + _name] = _test(_name)

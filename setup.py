"""The build step that puts the shipped rule book inside the package.

The rule book stays in the repository's top-level folders (rules/, policies/, feeds/,
warnings/, examples/applications/); a built wheel carries a copy under
aidrules/_shipped/, where aidrules.shipped finds it. An editable install reads the
top-level folders directly. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("rules", "policies", "feeds", "warnings", "examples/applications")


class BuildWithBook(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return  # the checkout's own folders are found in place
        target = Path(self.build_lib) / "aidrules" / "_shipped"
        for name in FOLDERS:
            shutil.copytree(name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithBook})

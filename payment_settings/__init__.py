"""The app's configuration, checked before cdktf loads: the settings and their environment files, and the start-up
gates that turn bad input into one line and exit 2 instead of a jsii or Python traceback."""

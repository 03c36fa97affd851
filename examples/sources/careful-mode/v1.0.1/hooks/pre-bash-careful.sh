#!/bin/sh
# Refuses rm -rf on /, on the home folder and on $HOME.
case "$1" in *"rm -rf /"*|*"rm -rf ~"*|*"rm -rf $HOME"*) echo "refused by careful-mode" >&2; exit 1;; esac

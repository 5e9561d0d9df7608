"""Slack plumbing: everything that knows how Slack works, and nothing about what people ask.

* ``clients``: Web API clients that retry Slack's bad moments; ``posting``: the one door for
  sending a message; ``charts``: uploading a chart; ``home``: publishing the App Home tab.
* ``oauth`` and ``workspaces``: installs in many workspaces, and whose data a request sees.
* ``permissions``: the one place that decides who is an admin.
* ``payloads``: what a signed request body must be; ``downloads``: fetching a shared file
  safely; ``threads``: a message's question without its mentions.
* ``digests``: sending the weekly digests through Slack.
"""

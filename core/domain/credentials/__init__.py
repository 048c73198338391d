"""Open Badges 3.0: awards as W3C Verifiable Credentials signed with ``eddsa-rdfc-2022``.

Pure rules, no database writes and no HTTP: canonicalisation with bundled
contexts (``canon``, ``loader``), proofs (``proof``), keys and DIDs
(``multikey``, ``keys``, ``did``), the credential document (``documents``,
``issuing`` for our awards), revocation (``status_list``), baking
(``baking``) and checking credentials from elsewhere (``verify``).
"""

"""Survey pages, one module per audience: ``design`` (researchers build questionnaires),
``respond`` (residents answer), ``entry`` (advisors key paper and phone questionnaires),
``fieldwork`` (invitations and the fieldwork monitor), ``results`` (exports and public results)."""

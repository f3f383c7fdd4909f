"""Shop channels (Voso-, Postmart-style e-commerce shops): the product fields a channel's file may
carry, the bulk-upload files, the presets, and the HTTP connector for shops that offer an API."""

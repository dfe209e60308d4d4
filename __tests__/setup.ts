import { setupJest } from '../testing';

// Adds toHaveResource, toHaveResourceWithProperties, toBeValidTerraform… to expect().
setupJest();

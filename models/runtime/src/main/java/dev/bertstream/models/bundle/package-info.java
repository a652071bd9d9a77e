/**
 * Model bundles: a directory with the SavedModel, vocabulary and a {@link
 * dev.bertstream.models.bundle.BundleManifest}. {@link dev.bertstream.models.bundle.ModelBundle}
 * loads one (after checksum and, with {@link dev.bertstream.models.bundle.BundleTrust}, signature
 * checks; failures are {@link dev.bertstream.models.bundle.InvalidBundleException}), {@link
 * dev.bertstream.models.bundle.BundleWriter} writes one and {@link
 * dev.bertstream.models.bundle.BundleSigning} signs it. {@link
 * dev.bertstream.models.bundle.SessionSettings} tunes the TensorFlow session.
 */
package dev.bertstream.models.bundle;

/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.sessionreplication.samples.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.sessionreplication.test.ProcessMember;

import org.springframework.util.FileSystemUtils;

/**
 * Compiles a class of the sample again from its source with another
 * {@code serialVersionUID}, as a redeploy that changed the class incompatibly brings it:
 * the same name, the same members, another version. An instance that runs with it ahead
 * of the jar ({@link ProcessMember#classesFirst}) cannot read the values of that class
 * that the other instances stored in sessions.
 */
final class IncompatibleClassVersion {

	private static final Pattern SERIAL_VERSION_UID = Pattern.compile("(serialVersionUID\\s*=\\s*)(-?\\d+)L;");

	private IncompatibleClassVersion() {
	}

	/**
	 * Compile a source file with its {@code serialVersionUID} changed.
	 * @param source the source file, which declares its {@code serialVersionUID} once and
	 * needs nothing but the JDK to compile
	 * @param serialVersionUid the new version, other than the source's
	 * @param directory where the source and the classes go, emptied first
	 * @return the directory of the classes
	 */
	static Path compile(Path source, long serialVersionUid, Path directory) {
		try {
			Path changedSource = directory.resolve("src").resolve(source.getFileName());
			Path classes = directory.resolve("classes");
			FileSystemUtils.deleteRecursively(directory);
			Files.createDirectories(changedSource.getParent());
			Files.createDirectories(classes);
			Files.writeString(changedSource, withSerialVersionUid(source, serialVersionUid));
			JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
			if (compiler == null) {
				throw new AssertionError("No Java compiler: these tests must run on a JDK");
			}
			ByteArrayOutputStream errors = new ByteArrayOutputStream();
			int status = compiler.run(null, errors, errors, "--release", "17", "-encoding", "UTF-8", "-d",
					classes.toString(), changedSource.toString());
			if (status != 0) {
				throw new AssertionError(
						"Could not compile " + changedSource + ":\n" + errors.toString(StandardCharsets.UTF_8));
			}
			return classes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String withSerialVersionUid(Path source, long serialVersionUid) throws IOException {
		String text = Files.readString(source);
		List<MatchResult> declarations = SERIAL_VERSION_UID.matcher(text).results().toList();
		if (declarations.size() != 1 || Long.parseLong(declarations.get(0).group(2)) == serialVersionUid) {
			throw new AssertionError(
					source + " must declare its serialVersionUID once, other than " + serialVersionUid);
		}
		return SERIAL_VERSION_UID.matcher(text).replaceFirst("$1" + serialVersionUid + "L;");
	}

}

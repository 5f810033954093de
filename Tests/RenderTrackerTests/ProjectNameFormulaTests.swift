import Testing
@testable import RenderTracker

@Suite("BuiltInProjectNameFormula")
struct ProjectNameFormulaTests {
    let formula = BuiltInProjectNameFormula()

    @Test("The name is the user and the hip file's name without directory or extension")
    func typical() {
        #expect(formula.projectName(user: "bob", localHipPath: "/home/bob/shots/sq010_sh020_fx_v003.hip") == "bob/sq010_sh020_fx_v003")
    }

    @Test(
        "Every Houdini scene extension is removed, in any case",
        arguments: ["scene.hip", "scene.hipnc", "scene.hiplc", "scene.HIP", "scene.HipNC", "scene.HIPLC", "scene.hIpLc"])
    func extensions(fileName: String) {
        #expect(formula.projectName(user: "ann", localHipPath: "/p/\(fileName)") == "ann/scene")
    }

    @Test("A Windows path with backslashes keeps only the file name")
    func windowsPath() {
        #expect(formula.projectName(user: "bob", localHipPath: #"C:\Users\bob\shots\sq010_sh020.hipnc"#) == "bob/sq010_sh020")
    }

    @Test("A path mixing slashes and backslashes keeps only the file name")
    func mixedSeparators() {
        #expect(formula.projectName(user: "bob", localHipPath: #"//server/share\proj/shot.hip"#) == "bob/shot")
    }

    @Test("A file name with no extension is kept whole")
    func noExtension() {
        #expect(formula.projectName(user: "bob", localHipPath: "/home/bob/untitled") == "bob/untitled")
    }

    @Test("A bare file name with no directory is used as is")
    func noDirectory() {
        #expect(formula.projectName(user: "bob", localHipPath: "shot.hip") == "bob/shot")
    }

    @Test("Other extensions are kept", arguments: ["shot.hipx", "shot.hip.bak", "shot.ifd", "shot.hipncx"])
    func otherExtensionsKept(fileName: String) {
        #expect(formula.projectName(user: "bob", localHipPath: "/x/\(fileName)") == "bob/\(fileName)")
    }

    @Test("Only the last extension is removed")
    func onlyLastExtension() {
        #expect(formula.projectName(user: "bob", localHipPath: "/x/shot.v2.hip") == "bob/shot.v2")
        #expect(formula.projectName(user: "bob", localHipPath: "/x/shot.hip.hip") == "bob/shot.hip")
    }

    @Test("A double quote in the name becomes a single quote")
    func quotes() {
        #expect(formula.projectName(user: "bob", localHipPath: #"/home/bob/the "best" shot.hip"#) == "bob/the 'best' shot")
        #expect(formula.projectName(user: #"b"ob"#, localHipPath: "/x/s.hip") == "b'ob/s")
    }

    @Test("A file literally named after an extension is kept", arguments: [".hip", ".hipnc", ".hiplc", ".HIP"])
    func bareExtensionKept(fileName: String) {
        #expect(formula.projectName(user: "bob", localHipPath: "/home/bob/\(fileName)") == "bob/\(fileName)")
    }

    @Test("Non-ASCII file names survive")
    func nonASCII() {
        #expect(formula.projectName(user: "zoé", localHipPath: "/home/zoé/плохой_кадр.hip") == "zoé/плохой_кадр")
    }

    @Test("A custom formula can stand in for the built-in one")
    func customFormula() {
        struct Upper: ProjectNameFormula {
            func projectName(user: String, localHipPath: String) -> String { user.uppercased() }
        }
        let formulas: [any ProjectNameFormula] = [BuiltInProjectNameFormula(), Upper()]
        #expect(formulas.map { $0.projectName(user: "bob", localHipPath: "/a.hip") } == ["bob/a", "BOB"])
    }
}
